"""The screens of coach: one module each, thin over the domain in `coach/`."""
