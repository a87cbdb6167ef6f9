"""The client record: address, contact data and preferences, contact persons, education and work, recorded as events
(:mod:`regie.core.clientrecord` folds them); the BRP client (Haal Centraal BRP Bevragen) that prefills and checks it;
the search keys on the client row."""
