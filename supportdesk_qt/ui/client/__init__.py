"""The client tab: who the client is, and their users, payments, services, tickets, expenses and
projects."""
