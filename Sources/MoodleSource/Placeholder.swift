// MoodleSource
