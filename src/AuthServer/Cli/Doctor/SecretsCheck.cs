using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using AuthServer.Core.Signing;
using AuthServer.Hosting;
using Microsoft.Extensions.Options;

namespace AuthServer.Cli;

/// <summary>
/// <c>authserver doctor</c>, this server's secrets at rest: the key-encryption key (a file only
/// the server's account reads, or a setting kept out of settings files), the data directory and
/// database, and a bootstrap password left in the environment after it has done its job.
/// </summary>
internal sealed class SecretsCheck(
    IConfiguration configuration, IOptions<SigningOptions> signing, IOptions<BootstrapOptions> bootstrap, DataDirectory data, DatabaseFile database,
    UserService users, PasswordHasher hasher)
{
    private const string BootstrapPassword = BootstrapOptions.Section + ":AdminPassword";

    public async Task CheckAsync(Findings findings, CancellationToken ct)
    {
        CheckKeyEncryptionKey(findings);
        PrivateFiles.Check(findings, data.Path, "the data directory");
        if (database.Path is { } file) PrivateFiles.Check(findings, file, "the database");
        await CheckBootstrapPasswordAsync(findings, ct);
    }

    private void CheckKeyEncryptionKey(Findings findings)
    {
        var options = signing.Value;
        if (KeyEncryptionKey.IsConfigured(options))
        {
            var source = SettingSource.Describe(configuration, KeyEncryptionKey.Setting);
            if (source.StartsWith("the settings file", StringComparison.Ordinal))
                findings.Warn($"the key-encryption key is written in {source}: whoever reads that file and a database backup holds the signing keys; " +
                              $"move it to a file of mode 0600 named by {SigningOptions.Section}:KeyEncryptionKeyFile (or a systemd credential)");
            else findings.Ok($"the key-encryption key comes from {source}");
            return;
        }
        var path = data.Resolve(options.KeyEncryptionKeyFile);
        if (!File.Exists(path))
        {
            findings.Error($"the key-encryption key {path} does not exist: restore it from its backup (a server on this database refuses to start without it)");
            return;
        }
        PrivateFiles.Check(findings, path, "the key-encryption key");
    }

    /// <summary>
    /// The bootstrap password is read on an empty database only. Still set afterwards, it is a
    /// secret in the environment (visible in /proc/PID/environ, docker inspect, unit files), and
    /// an error while the first administrator still signs in with it.
    /// </summary>
    private async Task CheckBootstrapPasswordAsync(Findings findings, CancellationToken ct)
    {
        var options = bootstrap.Value;
        if (string.IsNullOrEmpty(options.AdminPassword))
        {
            findings.Ok($"no bootstrap password is set ({BootstrapPassword})");
            return;
        }
        var source = SettingSource.Describe(configuration, BootstrapPassword);
        var removal = source.StartsWith("the environment variable", StringComparison.Ordinal) ? $"unset {source}" : $"remove {BootstrapPassword} from {source}";
        var admin = await users.FindAsync(options.AdminName, ct);
        if (admin is { IsLocal: true, PasswordHash.Length: > 0 } && hasher.Verify(options.AdminPassword, admin.PasswordHash))
            findings.Error($"the administrator {admin.Name} still signs in with the bootstrap password from {source}, which anyone who can read it knows: " +
                           $"change it (authserver user passwd {admin.Name}) and {removal}");
        else
            findings.Warn($"{BootstrapPassword} is still set in {source}, though it is used only on an empty database: remove it, so the secret does not linger");
    }
}
