"""Many-body systems: fish schools and synchronizing phase oscillators."""
