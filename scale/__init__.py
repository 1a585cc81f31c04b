"""Synthetic workforces at scale, for measuring the product (``manage.py generate_scale``).

- ``scale.structure``: service areas, teams of about twelve posts, campaigns;
- ``scale.simulation``: each post's people over the years, agency cover, absences, leavers;
- ``scale.recruitment``: about ten applications per start, through their stages;
- ``scale.writer``: ``bulk_create`` in batches with keys known in advance;
- ``scale.generate``: the whole run, in one transaction, into an empty database;
- ``scale.extract``: an HR extract of new records, as CSV files, for timing the importer.
"""
