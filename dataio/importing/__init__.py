"""Importing the monthly HR extract: see ``dataio.importing.engine.run_import``."""
