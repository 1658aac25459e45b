namespace AuthServer.Registry.Auth;

/// <summary>
/// Why a request was refused: distribution's named errors (registry/auth/token), each answered as a
/// 401 challenge with exactly one <c>error</c> parameter (accesscontroller.go <c>challengeParams</c>).
/// </summary>
public enum AuthFailure
{
    /// <summary><c>ErrTokenRequired</c>: no <c>Authorization: Bearer</c> header. No error parameter.</summary>
    TokenRequired,

    /// <summary><c>ErrMalformedToken</c>: the token could not be parsed. <c>error="invalid_token"</c>.</summary>
    MalformedToken,

    /// <summary><c>ErrInvalidToken</c>: a verification step failed. <c>error="invalid_token"</c>.</summary>
    InvalidToken,

    /// <summary>
    /// 3.x only: go-jose's <c>JWT.Claims</c> (signature check and claim decoding) failed, and
    /// token.go returns that error as it is rather than as ErrInvalidToken, so the challenge carries
    /// no error parameter.
    /// </summary>
    ClaimsUnverified,

    /// <summary><c>ErrInsufficientScope</c>: a valid token lacking a needed action. <c>error="insufficient_scope"</c>.</summary>
    InsufficientScope,
}

public static class AuthFailures
{
    public static string? ErrorParam(this AuthFailure failure) => failure switch
    {
        AuthFailure.MalformedToken or AuthFailure.InvalidToken => "invalid_token",
        AuthFailure.InsufficientScope => "insufficient_scope",
        _ => null,
    };
}

/// <summary>A verification step refused the token; <see cref="Exception.Message"/> is the log line, never sent to the client.</summary>
public sealed class TokenRejectedException(AuthFailure failure, string reason) : Exception(reason)
{
    public AuthFailure Failure { get; } = failure;
}
