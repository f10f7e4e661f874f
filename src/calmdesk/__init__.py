"""calmdesk: an escalation desk and de-escalation coach for customer-service teams."""

__version__ = "0.1.0"
