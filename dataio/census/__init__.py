"""The national children's social work workforce census return: ``build`` reads, ``xml`` writes."""
