"""Sessions (séances): scheduling, agenda, hearings, convocations, attendance, recusals,
votes and minutes."""
