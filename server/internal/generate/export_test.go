package generate

// WithoutReminders exposes withoutReminders to the fuzz test's reference.
var WithoutReminders = withoutReminders
