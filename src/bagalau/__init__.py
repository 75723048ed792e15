"""bagalau: Corps B performance evaluation under the methodology in force on each date."""
