using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AuthServer.Core.Caching;
using AuthServer.Core.Data;
using AuthServer.Core.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Core.SignIn;

/// <summary>
/// Passwords bcrypt has already accepted, so a client that sends its password with every token
/// request (docker does) pays for bcrypt once per <see cref="CacheOptions.PasswordLifetime"/>.
/// <para>
/// Keyed by HMAC-SHA256, under a key made fresh by each process, of the user's id, security stamp
/// and password: neither the password nor anything that could be brute-forced offline is held,
/// and any change to the user (password, disabled, admin, rehash) makes a new stamp, so entries
/// of the old state can never match again. Only successes are added. The stamp in the key does
/// what the revision does for other caches, so every entry has the same revision (0): one
/// user's change must not send every other user back to bcrypt.
/// </para>
/// </summary>
public sealed class VerifiedPasswords(IOptions<CacheOptions> options, TimeProvider time)
{
    private const int StackLimit = 512;
    private const long StampKeyed = 0;
    private static readonly object Verified = new();

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly RevisionCache<string, object> _verified = new(options.Value.MaxPasswords, time, options.Value.PasswordLifetime);

    // Checks under way, by the same key: concurrent sign-ins with one password share one bcrypt.
    private readonly Caching.SingleFlight<PasswordVerification> _checking = new();

    public bool Contains(CachedUser user, string password) => _verified.TryGet(Key(user, password), StampKeyed, out _);

    public void Add(CachedUser user, string password) => _verified.Set(Key(user, password), StampKeyed, Verified);

    /// <summary>
    /// Runs <paramref name="verify"/> unless the same password of the same user is being checked
    /// already, in which case that check's outcome is shared. A CI job starting 30 pulls at once
    /// with one cold password then costs one bcrypt and one place in the hashing queue, not 30.
    /// </summary>
    public Task<PasswordVerification> VerifyOnceAsync(CachedUser user, string password, Func<Task<PasswordVerification>> verify) =>
        _checking.RunAsync(Key(user, password), verify);

    public int Count => _verified.Count;

    public CacheCounter Lookups => _verified.Lookups;

    /// <summary>The keys held, for tests that prove no password is among them.</summary>
    internal IEnumerable<object> Keys => _verified.Keys;

    private string Key(CachedUser user, string password)
    {
        // id (8 bytes) ‖ stamp ‖ 0 ‖ password: the separator keeps (stamp, password) pairs apart.
        var length = 8 + Encoding.UTF8.GetMaxByteCount(user.SecurityStamp.Length) + 1 + Encoding.UTF8.GetMaxByteCount(password.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            BitConverter.TryWriteBytes(buffer, user.Id);
            var n = 8 + Encoding.UTF8.GetBytes(user.SecurityStamp, buffer[8..]);
            buffer[n++] = 0;
            n += Encoding.UTF8.GetBytes(password, buffer[n..]);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, buffer[..n], mac);
            CryptographicOperations.ZeroMemory(buffer[..n]);
            return Convert.ToBase64String(mac);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
