using Microsoft.Extensions.Options;

namespace AuthServer.Core.Identity;

/// <summary>The outcome of checking a password against its hash.</summary>
public enum PasswordVerification
{
    Failed,
    Succeeded,
    /// <summary>Not checked: every hashing worker is busy and the queue is full.</summary>
    Busy,
}

/// <summary>
/// bcrypt through BCrypt.Net-Next. New hashes use the enhanced form, which pre-hashes with SHA-384
/// so passwords longer than bcrypt's 72-byte input are not silently truncated; standard bcrypt
/// hashes brought in by an import verify too and are replaced at the next successful sign-in
/// (<see cref="PasswordHashFormat"/> has the stored forms). Sign-in verifications run on the
/// <see cref="HashingWorkers"/>, the dummy ones for unknown users included, so both wait alike.
/// </summary>
public sealed class PasswordHasher(IOptions<PasswordOptions> options, HashingWorkers queue)
{
    private const BCrypt.Net.HashType PreHash = BCrypt.Net.HashType.SHA384;

    private long _verifications;

    /// <summary>bcrypt verifications so far, dummy ones included: a metric, and how tests prove a locked request costs none.</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>A hash in the server's own scheme at the configured work factor.</summary>
    public string Hash(string password) =>
        PasswordHashFormat.Format(PasswordScheme.BcryptSha384, BCrypt.Net.BCrypt.EnhancedHashPassword(password, PreHash, options.Value.WorkFactor));

    /// <summary>The bcrypt cost of a stored hash whatever its scheme prefix; null when it is not a bcrypt hash.</summary>
    public static int? BcryptCost(string storedHash) => PasswordHashFormat.BcryptCost(storedHash);

    /// <summary>A hash made on the hashing queue, for the server itself (no client source); busy when the queue is full.</summary>
    public Task<Hashed<string>> HashQueuedAsync(string password) => queue.Run(null, () => Hash(password));

    /// <summary>Checks a password on the hashing queue, in the fair share of the client <paramref name="source"/> and the <paramref name="account"/> it names.</summary>
    public async Task<PasswordVerification> VerifyAsync(string password, string hash, string? source, string? account = null)
    {
        var check = await queue.Run(source, () => Verify(password, hash), account);
        return !check.Ran ? PasswordVerification.Busy : check.Value ? PasswordVerification.Succeeded : PasswordVerification.Failed;
    }

    /// <summary>
    /// Spends the same work, on the same queue, as <see cref="VerifyAsync"/> against a hash of
    /// bcrypt cost <paramref name="cost"/> (see <see cref="DummyHashes"/>), and always fails.
    /// </summary>
    public async Task<PasswordVerification> VerifyDummyAsync(string password, int cost, string? source, string? account = null) =>
        await VerifyAsync(password, DummyHashes.HashOfCost(cost), source, account) == PasswordVerification.Busy ? PasswordVerification.Busy : PasswordVerification.Failed;

    /// <summary>Checks a password on the calling thread; for callers outside the request path.</summary>
    public bool Verify(string password, string hash)
    {
        Interlocked.Increment(ref _verifications);
        var (scheme, bcrypt) = PasswordHashFormat.Parse(hash);
        try
        {
            return scheme switch
            {
                PasswordScheme.BcryptSha384 => BCrypt.Net.BCrypt.EnhancedVerify(password, bcrypt, PreHash),
                PasswordScheme.Bcrypt => BCrypt.Net.BCrypt.Verify(password, bcrypt),
                _ => false,
            };
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>True for a verifiable hash in another scheme (an imported one) or below the configured work factor: the next successful sign-in replaces it.</summary>
    public bool NeedsRehash(string hash) =>
        PasswordHashFormat.BcryptCost(hash) is { } cost
        && (PasswordHashFormat.Parse(hash).Scheme != PasswordScheme.BcryptSha384 || cost < options.Value.WorkFactor);

    /// <summary>The configured bcrypt cost, that of every new hash.</summary>
    public int WorkFactor => options.Value.WorkFactor;

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
