"""Yearly activity reports of the committees: figures computed from the record, a foreword."""
