namespace AuthServer.Core.SignIn.Sources;

public sealed class IdentitySourceOptions
{
    public const string Section = "AuthServer:IdentitySources";

    /// <summary>
    /// The order in which sources are asked about a name they might own; the first that knows
    /// the name decides, which settles a name clash (a local account and a directory account of
    /// one name). Empty: the local accounts first, then every configured source. Local first is
    /// the safe default: a directory entry can never take over an existing local account.
    /// </summary>
    public List<string> Order { get; set; } = [];
}
