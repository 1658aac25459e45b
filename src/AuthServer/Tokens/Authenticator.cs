using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;

namespace AuthServer.Tokens;

/// <summary>
/// Second stage: who is asking. Basic or form credentials go to the credential checker, which
/// tells a password, an access token and a robot secret apart; a refresh grant is checked against
/// its session. Anonymous requests pass as the anonymous principal.
/// </summary>
public sealed class Authenticator(CredentialChecker credentials)
{
    public Task<SignInResult> AuthenticateAsync(TokenRequest request, CancellationToken ct) => request.Grant switch
    {
        GrantKind.Anonymous => Task.FromResult(SignInResult.Success(Principal.Anonymous)),
        GrantKind.Password => credentials.CheckAsync(request.Username!, request.Password!, ct),
        GrantKind.RefreshToken => credentials.CheckRefreshTokenAsync(request.RefreshToken!, request.Service, ct),
        _ => throw new InvalidOperationException($"grant {request.Grant} has no authentication"),
    };
}
