using AuthServer.Core.Signing;

namespace AuthServer.Admin.Models;

/// <param name="Algorithm">ES256 or RS256; none: AuthServer:Signing:Algorithm.</param>
/// <param name="Activate">Sign with it at once (the current key retires); otherwise it is the next key.</param>
public sealed record KeyCreate(string? Algorithm = null, bool? Activate = null);

public sealed record KeyView(
    string Kid, string Algorithm, SigningKeyState State, DateTime CreatedAt, DateTime? ActivatedAt, DateTime? RetiredAt, DateTime CertificateNotAfter)
{
    public static KeyView From(SigningKey k) => new(k.Kid, k.Algorithm, k.State, k.CreatedAt, k.ActivatedAt, k.RetiredAt, k.NotAfter);
}
