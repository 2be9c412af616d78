"""factorcheck: how knee pain and plantar fasciitis may be linked, explained from your answers."""

__version__ = "0.1.0"
