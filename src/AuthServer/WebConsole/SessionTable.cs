using AuthServer.Core.Identity;

namespace AuthServer.WebConsole;

/// <summary>Refresh sessions (docker logins) as a table with a revoke button each; the account column on the administrators' page.</summary>
public sealed record SessionTable(IReadOnlyList<SessionView> Sessions, bool ShowAccount);
