using AuthServer.Core.Ldap;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>, the directory's transport and secret: every password a directory user
/// types goes to the directory in the bind, so a plain <c>ldap://</c> server off this host without
/// StartTLS carries them readable; and the service account's password belongs in the environment
/// or a secrets file, not in a settings file that is copied around.
/// </summary>
internal sealed class DirectoryCheck(IConfiguration configuration, IOptions<LdapOptions> options)
{
    private const string BindPassword = LdapOptions.Section + ":BindPassword";

    public void Check(Findings findings)
    {
        var ldap = options.Value;
        if (!ldap.Enabled) return;
        foreach (var server in ldap.Servers)
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri)) continue;
            if (uri.Scheme == "ldap" && !ldap.StartTls && !TransportCheck.IsLoopback(uri.Host))
                findings.Warn($"the directory {uri.Scheme}://{uri.Host}:{(uri.Port > 0 ? uri.Port : 389)} is plain LDAP without StartTLS: users' passwords cross the network readable in each bind; " +
                              $"use ldaps:// or set {LdapOptions.Section}:StartTls");
            else findings.Ok($"the directory {uri.Scheme}://{uri.Host} is reached {(uri.Scheme == "ldaps" ? "over TLS (ldaps)" : ldap.StartTls ? "with StartTLS" : "on this host")}");
        }
        if (!string.IsNullOrEmpty(ldap.BindPassword) && SettingSource.Describe(configuration, BindPassword) is var source
            && source.StartsWith("the settings file", StringComparison.Ordinal))
            findings.Warn($"{BindPassword} is written in {source}: set it in the environment (AuthServer__Ldap__BindPassword) or a secrets file only the server reads");
    }
}
