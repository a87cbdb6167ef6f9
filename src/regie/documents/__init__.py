"""Documents in the client's file: uploads (ID, payslips, bank statements, medical letters, signed plans) and the
letters Regie generates, stored through Django's storage API, and the dossier as one PDF."""
