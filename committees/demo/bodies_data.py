"""What the demo committees are made of: their missions (from the public record) and
their members (every person fictional), as seeded by ``committees.demo.bodies``."""

from __future__ import annotations

from committees.bodies.models import MandateRole

MISSION_SUIVI = """Le comité scientifique temporaire suit la mise en œuvre de l'expérimentation
française de l'usage médical du cannabis, lancée le 26 mars 2021 avec l'inclusion du premier
patient.

Il se réunit **chaque mois** depuis juin 2021 et :

- suit les inclusions, la formation des professionnels et l'approvisionnement ;
- analyse les données de sécurité transmises par les centres de pharmacovigilance et
  d'addictovigilance ;
- auditionne associations de patients et sociétés savantes sur l'élargissement des indications.
"""

MISSION_CULTURE = """Créé à la suite du décret autorisant la culture du cannabis à des fins
thérapeutiques en France, le comité définit les **spécifications techniques de la chaîne de
production**, de la plante au médicament.

Sa séance de mai 2022 est dédiée aux opérateurs économiques de la future filière, entendus
après un appel à manifestation d'intérêt et contributions écrites.
"""

MISSION_CSP = """Comité scientifique permanent mixte, réunissant la pharmacovigilance et
l'addictovigilance. Mis en place en mars 2022, il examine collégialement le rapport relatif aux
effets indésirables recueillis dans le cadre de l'expérimentation du cannabis médical, afin de
confirmer son profil de sécurité.
"""

# (civility, title, first name, last name, affiliation, qualification, role)
SUIVI_MEMBERS = [
    ("Mme", "Pr", "Hélène", "Garnier", "CHU de Lyon", "Neurologie", MandateRole.PRESIDENT),
    (
        "M.",
        "Dr",
        "Antoine",
        "Rousseau",
        "CHU de Toulouse",
        "Médecine de la douleur",
        MandateRole.VICE_PRESIDENT,
    ),
    (
        "Mme",
        "Dr",
        "Claire",
        "Martin",
        "Hôpital Saint-Louis, Paris",
        "Oncologie médicale",
        MandateRole.MEMBER,
    ),
    ("M.", "Dr", "Julien", "Lefèvre", "CHU de Bordeaux", "Addictologie", MandateRole.MEMBER),
    (
        "Mme",
        "Dr",
        "Sophie",
        "Bertrand",
        "Pharmacie d'officine, Nantes",
        "Pharmacie",
        MandateRole.MEMBER,
    ),
    ("M.", "Pr", "Marc", "Dubois", "CHU de Lille", "Pharmacologie", MandateRole.MEMBER),
    (
        "Mme",
        "Dr",
        "Isabelle",
        "Moreau",
        "Centre de pharmacovigilance de Grenoble",
        "Pharmacovigilance",
        MandateRole.MEMBER,
    ),
    (
        "M.",
        "Dr",
        "Thomas",
        "Fournier",
        "Médecine générale, Rennes",
        "Médecine générale",
        MandateRole.MEMBER,
    ),
    (
        "Mme",
        "Dr",
        "Nathalie",
        "Girard",
        "CHU de Montpellier",
        "Soins palliatifs",
        MandateRole.MEMBER,
    ),
    (
        "Mme",
        "",
        "Catherine",
        "Lambert",
        "Association française des patients douloureux",
        "Représentante des patients",
        MandateRole.PATIENT_REPRESENTATIVE,
    ),
    (
        "M.",
        "",
        "Philippe",
        "Bonnet",
        "Association sclérose en plaques France",
        "Représentant des patients",
        MandateRole.PATIENT_REPRESENTATIVE,
    ),
    (
        "Mme",
        "",
        "Valérie",
        "Roux",
        "Association épilepsies sévères",
        "Représentante des patients",
        MandateRole.PATIENT_REPRESENTATIVE,
    ),
    (
        "M.",
        "",
        "Olivier",
        "Mercier",
        "Ligue des patients en oncologie",
        "Représentant des patients",
        MandateRole.PATIENT_REPRESENTATIVE,
    ),
]

CULTURE_MEMBERS = [
    (
        "M.",
        "Pr",
        "Laurent",
        "Chevalier",
        "Université de Montpellier",
        "Botanique pharmaceutique",
        MandateRole.PRESIDENT,
    ),
    (
        "Mme",
        "Dr",
        "Émilie",
        "Faure",
        "Institut de recherche agronomique",
        "Agronomie",
        MandateRole.VICE_PRESIDENT,
    ),
    (
        "M.",
        "Dr",
        "Nicolas",
        "André",
        "Faculté de pharmacie de Strasbourg",
        "Pharmacognosie",
        MandateRole.MEMBER,
    ),
    (
        "Mme",
        "Dr",
        "Aurélie",
        "Blanc",
        "Laboratoire de contrôle, Lyon",
        "Chimie analytique",
        MandateRole.MEMBER,
    ),
    ("M.", "", "Pierre", "Guerin", "Chambre d'agriculture", "Agriculture", MandateRole.MEMBER),
    (
        "Mme",
        "Dr",
        "Camille",
        "Muller",
        "Pharmacie hospitalière, CHU de Nancy",
        "Pharmacie galénique",
        MandateRole.MEMBER,
    ),
    (
        "M.",
        "Dr",
        "François",
        "Henry",
        "Institut de sécurité alimentaire",
        "Microbiologie",
        MandateRole.INVITED_EXPERT,
    ),
]

CSP_MEMBERS = [
    ("Mme", "Pr", "Anne", "Perrin", "CRPV de Toulouse", "Pharmacovigilance", MandateRole.PRESIDENT),
    (
        "M.",
        "Dr",
        "Christophe",
        "Robin",
        "CEIP-A de Paris",
        "Addictovigilance",
        MandateRole.VICE_PRESIDENT,
    ),
    (
        "Mme",
        "Dr",
        "Claire",
        "Martin",
        "Hôpital Saint-Louis, Paris",
        "Oncologie médicale",
        MandateRole.MEMBER,
    ),
    (
        "M.",
        "Dr",
        "Sébastien",
        "Gauthier",
        "CRPV de Marseille",
        "Pharmacologie clinique",
        MandateRole.MEMBER,
    ),
    ("Mme", "Dr", "Julie", "Lemoine", "CEIP-A de Nantes", "Toxicologie", MandateRole.MEMBER),
    ("M.", "Dr", "Guillaume", "Caron", "CRPV de Bordeaux", "Pharmacovigilance", MandateRole.MEMBER),
]
