namespace AuthServer.Hosting;

/// <summary>A start or command that cannot go on, with a message that names the problem and its remedy.</summary>
public sealed class StartupException(string message) : Exception(message);
