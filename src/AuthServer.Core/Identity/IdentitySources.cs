namespace AuthServer.Core.Identity;

/// <summary>The names of the identity sources a user can come from (<see cref="User.Source"/>).</summary>
public static class IdentitySources
{
    /// <summary>Accounts made here (CLI, admin API, import), with a password hash in the database.</summary>
    public const string Local = "local";

    /// <summary>Accounts of the LDAP or Active Directory directory (<c>AuthServer:Ldap</c>).</summary>
    public const string Ldap = "ldap";
}
