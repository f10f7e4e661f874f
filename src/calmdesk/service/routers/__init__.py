"""One router per domain; each route names the least role it needs."""
