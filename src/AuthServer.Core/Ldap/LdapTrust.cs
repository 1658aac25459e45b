using Microsoft.Extensions.Options;

namespace AuthServer.Core.Ldap;

/// <summary>
/// The CA that directory certificates are checked against. libldap takes a directory of
/// certificates (System.DirectoryServices.Protocols' TrustedCertificatesDirectory), so the
/// configured CA file is copied into a directory of its own, where nothing else can be trusted
/// by accident. Without a CA file, libldap's defaults hold (the system trust store); certificates
/// are always verified, hostname included.
/// </summary>
public sealed class LdapTrust : IDisposable
{
    public LdapTrust(IOptions<LdapOptions> options)
    {
        if (options.Value.CaFile is not { Length: > 0 } caFile || !File.Exists(caFile)) return;
        Directory = Path.Combine(Path.GetTempPath(), $"authserver-ldap-ca-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        File.Copy(caFile, Path.Combine(Directory, "ca.pem"));
    }

    /// <summary>The directory holding only the configured CA; null for the system's trust.</summary>
    public string? Directory { get; }

    public void Dispose()
    {
        try
        {
            if (Directory is not null) System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp directory.
        }
    }
}
