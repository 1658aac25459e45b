using AuthServer.Core.Federation;
using AuthServer.Core.Sso;

namespace AuthServer.Sso;

/// <summary>
/// The one HTTP client that talks to providers (discovery, keys, code exchange, userinfo): no
/// redirect is followed (it could lead anywhere, an internal address included), and every answer
/// is bounded in time and size.
/// </summary>
public sealed class SsoBackchannel : IDisposable
{
    public SsoBackchannel(OidcOptions options)
    {
        Client = BoundedHttpClient.Create(options.BackchannelTimeout, options.MaxResponseBytes, "authserver-sso");
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
