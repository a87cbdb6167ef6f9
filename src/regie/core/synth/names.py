"""Common Dutch given names, family names and street names for synthetic people (no real persons)."""

GIVEN_F = ["Anna", "Sanne", "Fatima", "Emma", "Lotte", "Yasmina", "Maria", "Ingrid", "Petra", "Sara", "Aisha",
           "Linda", "Marieke", "Esra", "Naima", "Kim", "Sandra", "Monique", "Noor", "Julia", "Hanna", "Priya",
           "Elif", "Joyce", "Ilse", "Daphne", "Samira", "Anouk", "Tamara", "Zeynep"]
GIVEN_M = ["Jan", "Mohamed", "Peter", "Kees", "Ahmed", "Daan", "Sem", "Thomas", "Mustafa", "Johan", "Ricardo",
           "Mehmet", "Bram", "Erik", "Youssef", "Hans", "Sander", "Dennis", "Kevin", "Omar", "Ruben", "Marco",
           "Tarik", "Bas", "Jeroen", "Hamza", "Stefan", "Luuk", "Patrick", "Ali"]
FAMILY_NAMES = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
                "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
                "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Yilmaz", "El Amrani",
                "Kaya", "Bouzid", "Demir", "Haddou", "Öztürk", "Nguyen", "Ramdin", "Martina", "Kowalski", "Hassan",
                "Tahiri", "Çelik", "Sedney", "Koster", "Prins", "Huisman", "Kok", "Maas", "Verhoeven", "Willems",
                "Wouters", "Postma", "Kuipers"]
STREETS = ["Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat", "Beatrixlaan",
           "Wilhelminastraat", "Eikenlaan", "Lindelaan", "Parkweg", "Marktplein", "Havenstraat", "Nieuwstraat"]
