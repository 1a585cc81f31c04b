"""Planning ahead: the establishment forecast, what-if scenarios, why a rate moved, and how
accurate the forecast has been."""
