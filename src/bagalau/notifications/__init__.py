"""Notifications: an outbox of messages, delivery channels (e-mail, SMS gateway, recorded paper
channels) and a delivery log with retries."""
