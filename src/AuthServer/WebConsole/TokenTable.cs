using AuthServer.Admin.Models;

namespace AuthServer.WebConsole;

/// <summary>Access tokens as a table, with a revoke button per token; the user column only on the administrators' page.</summary>
public sealed record TokenTable(IReadOnlyList<AccessTokenView> Tokens, bool ShowUser);
