using AuthServer.Core.Scopes;
using AuthServer.Core.SignIn;

namespace AuthServer.Tokens;

/// <summary>How the caller asked to be recognised.</summary>
public enum GrantKind
{
    /// <summary>GET without credentials.</summary>
    Anonymous,
    /// <summary>GET with Basic credentials, or POST grant_type=password.</summary>
    Password,
    /// <summary>POST grant_type=refresh_token (Docker's identity token), or Basic with an empty user
    /// and the refresh token as password (containerd's GET fallback).</summary>
    RefreshToken,
}

/// <summary>
/// A token request after reading, whichever method carried it. Not a record, so no generated
/// ToString can ever print the secrets it holds.
/// </summary>
public sealed class TokenRequest
{
    public required string Method { get; init; }
    public required GrantKind Grant { get; init; }
    public required string Service { get; init; }
    public required IReadOnlyList<ResourceScope> Scopes { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? RefreshToken { get; init; }

    /// <summary>GET offline_token=true or POST access_type=offline: the client wants a refresh token.</summary>
    public bool Offline { get; init; }

    public string? ClientId { get; init; }

    /// <summary>The client's address as recorded (after trusted proxies' X-Forwarded-For).</summary>
    public string? ClientIp { get; init; }

    /// <summary>What failures and rates are counted under: the IPv4 address or the IPv6 /64.</summary>
    public string? ClientKey { get; init; }

    public string? UserAgent { get; init; }

    public bool IsPost => Method == HttpMethods.Post;

    /// <summary>What was presented, its kind decided once.</summary>
    public Credential Credential => _credential ??= Grant switch
    {
        GrantKind.Password => Credential.From(Username!, Password!),
        GrantKind.RefreshToken => new RefreshTokenCredential(RefreshToken!, Service),
        _ => Credential.None,
    };

    private Credential? _credential;

    /// <summary>The sign-in this request makes.</summary>
    public SignInAttempt Attempt => new(Credential, new ClientSource(ClientKey, ClientIp)) { Service = Service, UserAgent = UserAgent };
}
