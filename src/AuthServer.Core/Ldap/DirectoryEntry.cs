namespace AuthServer.Core.Ldap;

/// <summary>A group the directory says a user is in: its DN and name (the first value of its RDN).</summary>
public sealed record DirectoryGroup(string Dn, string Name);

/// <summary>A user as the directory has it.</summary>
/// <param name="DisabledInDirectory">Active Directory's userAccountControl says ACCOUNTDISABLE.</param>
public sealed record DirectoryEntry(string Dn, string Login, string? DisplayName, IReadOnlyList<DirectoryGroup> Groups, bool DisabledInDirectory);

/// <summary>
/// No configured server could be reached or answered in time, or a search failed on the server's
/// side: nothing was decided about the user. The message is for the operator only.
/// </summary>
public sealed class DirectoryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
