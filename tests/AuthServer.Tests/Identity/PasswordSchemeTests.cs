using AuthServer.Core.Identity;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AuthServer.Tests.Identity;

/// <summary>Stored hashes record their scheme; standard bcrypt from htpasswd and docker_auth verifies and asks to be rehashed.</summary>
public sealed class PasswordSchemeTests : IDisposable
{
    private readonly HashingWorkers _workers;
    private readonly PasswordHasher _hasher;

    public PasswordSchemeTests()
    {
        var options = Options.Create(new PasswordOptions { WorkFactor = 5, HashingConcurrency = 1 });
        _workers = new HashingWorkers(options, TimeProvider.System);
        _hasher = new PasswordHasher(options, _workers);
    }

    public void Dispose() => _workers.Dispose();

    /// <summary>A line of an htpasswd file, made by the real htpasswd -B (Debian apache2-utils).</summary>
    public static async Task<string> HtpasswdLineAsync(string user, string password, int cost = 5)
    {
        var htpasswd = ExternalTool.Require("htpasswd", "apache2-utils");
        var home = TempDirectory.Create("htpasswd");
        try
        {
            var result = await ExternalTool.RunAsync(htpasswd, home, TimeSpan.FromSeconds(30), "-nbB", "-C", cost.ToString(System.Globalization.CultureInfo.InvariantCulture), user, password);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Trim();
        }
        finally
        {
            TempDirectory.Delete(home);
        }
    }

    [Fact]
    public async Task A_hash_made_by_htpasswd_B_verifies_and_asks_to_be_rehashed()
    {
        var line = await HtpasswdLineAsync("alice", "correct horse");
        var hash = line[(line.IndexOf(':') + 1)..];
        Assert.StartsWith("$2y$05$", hash);

        var stored = PasswordHashFormat.FromStandardBcrypt(hash);
        Assert.Equal("bcrypt:" + hash, stored);
        Assert.True(_hasher.Verify("correct horse", stored!));
        Assert.False(_hasher.Verify("correct horsE", stored!));
        Assert.Equal(PasswordVerification.Succeeded, await _hasher.VerifyAsync("correct horse", stored!, source: null));
        Assert.True(_hasher.NeedsRehash(stored!));
        Assert.Equal(5, PasswordHasher.BcryptCost(stored!));
    }

    [Theory]
    [InlineData('a', "$2a$")]
    [InlineData('b', "$2b$")]
    [InlineData('y', "$2y$")]
    public void Every_standard_bcrypt_revision_verifies(char revision, string marker)
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("s3cret-pass", BCrypt.Net.BCrypt.GenerateSalt(4, revision));
        Assert.StartsWith(marker, hash);
        var stored = PasswordHashFormat.FromStandardBcrypt(hash)!;
        Assert.True(_hasher.Verify("s3cret-pass", stored));
        Assert.False(_hasher.Verify("s3cret-pasS", stored));
        Assert.Equal(4, PasswordHasher.BcryptCost(stored));
    }

    [Fact]
    public void New_hashes_record_the_servers_scheme_and_need_no_rehash()
    {
        var stored = _hasher.Hash("a long enough password");
        Assert.StartsWith(PasswordHashFormat.BcryptSha384Prefix + "$2a$05$", stored);
        Assert.Equal(PasswordScheme.BcryptSha384, PasswordHashFormat.Parse(stored).Scheme);
        Assert.True(_hasher.Verify("a long enough password", stored));
        Assert.False(_hasher.NeedsRehash(stored));
        Assert.Equal(5, PasswordHasher.BcryptCost(stored));
    }

    [Fact]
    public void A_hash_stored_before_schemes_were_recorded_is_the_servers_own()
    {
        var legacy = BCrypt.Net.BCrypt.EnhancedHashPassword("a long enough password", BCrypt.Net.HashType.SHA384, 5);
        Assert.True(_hasher.Verify("a long enough password", legacy));
        Assert.False(_hasher.NeedsRehash(legacy));
        Assert.Equal(5, PasswordHasher.BcryptCost(legacy));
        // The same bcrypt text read as standard bcrypt is another password: the prefix decides.
        Assert.False(_hasher.Verify("a long enough password", PasswordHashFormat.BcryptPrefix + legacy));
    }

    [Fact]
    public void Passwords_longer_than_72_bytes_keep_counting_in_the_servers_scheme_but_not_in_standard_bcrypt()
    {
        var longPassword = new string('x', 72);
        var standard = PasswordHashFormat.FromStandardBcrypt(BCrypt.Net.BCrypt.HashPassword(longPassword, 4))!;
        // Standard bcrypt reads 72 bytes and no more (docs/security.md says so).
        Assert.True(_hasher.Verify(longPassword + "anything", standard));
        Assert.False(_hasher.Verify(longPassword + "anything", _hasher.Hash(longPassword)));
    }

    [Theory]
    [InlineData("$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/", "MD5-crypt ($apr1$)")]
    [InlineData("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "SHA-1 ({SHA})")]
    [InlineData("rqXexS6ZhobKA", "DES crypt")]
    [InlineData("$2y$05$tooshort", "a damaged or unsupported bcrypt hash")]
    [InlineData("$2x$05$LO.vzwpWC5LZGqThvEfznu8qhb5SGqvBSWY1J3yZ4AxtMRZ3kN5jC", "a damaged or unsupported bcrypt hash")]
    [InlineData("$2y$99$LO.vzwpWC5LZGqThvEfznu8qhb5SGqvBSWY1J3yZ4AxtMRZ3kN5jC", "a damaged or unsupported bcrypt hash")]
    [InlineData("plain", "plain text or an unknown scheme")]
    public void Other_schemes_are_not_taken_and_are_named(string hash, string description)
    {
        Assert.Null(PasswordHashFormat.FromStandardBcrypt(hash));
        Assert.Equal(description, PasswordHashFormat.Describe(hash));
    }

    [Fact]
    public void Unknown_stored_forms_never_verify_and_have_no_cost()
    {
        Assert.False(_hasher.Verify("anything", "md5:abc"));
        Assert.False(_hasher.Verify("anything", "bcrypt:not-a-hash"));
        Assert.Null(PasswordHasher.BcryptCost("md5:abc"));
        Assert.Null(PasswordHasher.BcryptCost("bcrypt:not-a-hash"));
        Assert.False(_hasher.NeedsRehash("bcrypt:not-a-hash"));
    }
}
