namespace AuthServer.Core.Scopes;

/// <summary>A scope string that does not follow the grammar of distribution's scope.md.</summary>
public sealed class ScopeFormatException(string message) : FormatException(message);
