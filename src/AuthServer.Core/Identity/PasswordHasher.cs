using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>
/// bcrypt through BCrypt.Net-Next. The enhanced form pre-hashes with SHA-384 so passwords longer
/// than bcrypt's 72-byte input are not silently truncated.
/// </summary>
public sealed class PasswordHasher(IOptions<PasswordOptions> options)
{
    private const BCrypt.Net.HashType PreHash = BCrypt.Net.HashType.SHA384;

    // A hash of a random password at the configured cost: verifying against it costs what a real
    // verification costs, so an unknown user name cannot be told apart by timing.
    private readonly Lazy<string> _dummyHash = new(() =>
        BCrypt.Net.BCrypt.EnhancedHashPassword(Guid.NewGuid().ToString("N"), PreHash, options.Value.WorkFactor));

    public string Hash(string password) =>
        BCrypt.Net.BCrypt.EnhancedHashPassword(password, PreHash, options.Value.WorkFactor);

    private long _verifications;

    /// <summary>bcrypt verifications so far, dummy ones included: a metric, and how tests prove a locked request costs none.</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    public bool Verify(string password, string hash)
    {
        Interlocked.Increment(ref _verifications);
        try
        {
            return BCrypt.Net.BCrypt.EnhancedVerify(password, hash, PreHash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Spends the same work as <see cref="Verify"/> and always fails.</summary>
    public void VerifyDummy(string password) => Verify(password, _dummyHash.Value);

    public bool NeedsRehash(string hash) =>
        BCrypt.Net.BCrypt.PasswordNeedsRehash(hash, options.Value.WorkFactor);

    /// <summary>The policy applied whenever a password is set.</summary>
    public string? Problem(string? password)
    {
        var min = options.Value.MinimumLength;
        if (string.IsNullOrEmpty(password)) return "password is required";
        if (password.Length < min) return $"password must be at least {min} characters";
        if (password.Length > PasswordOptions.MaximumLength) return $"password must be at most {PasswordOptions.MaximumLength} characters";
        // Such a password would be taken for a robot secret, access token or refresh token at sign-in.
        if (Secrets.Prefixes.FirstOrDefault(p => Secrets.HasPrefix(password, p)) is { } prefix)
            return $"password must not start with '{prefix}', the prefix of generated secrets";
        return null;
    }
}
