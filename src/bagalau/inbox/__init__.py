"""Work items: what needs whom by when, under which rule. Inboxes, reminders and overdue marks all
read from here, whichever workflow opened the item."""
