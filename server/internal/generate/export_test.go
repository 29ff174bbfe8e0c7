package generate

// WithoutReminders exposes withoutReminders to FuzzAutoTool's reference.
var WithoutReminders = withoutReminders

// NameWords exposes nameWords, which the reference splits the text with.
var NameWords = nameWords
