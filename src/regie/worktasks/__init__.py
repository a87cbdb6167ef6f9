"""Work tasks: assignable to a person or a team, with a due date; delegation and cover during leave; the team view."""
