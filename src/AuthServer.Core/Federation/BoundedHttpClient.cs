using System.Net;

namespace AuthServer.Core.Federation;

/// <summary>
/// The HTTP client for everything fetched from an identity provider or CI issuer (discovery, keys,
/// code exchange): no redirect is followed, since it could lead anywhere, an internal address
/// included (SSRF); every answer is bounded in time and size, and arrives uncompressed so the size
/// bound is the bytes read.
/// </summary>
public static class BoundedHttpClient
{
    public static HttpClient Create(TimeSpan timeout, long maxResponseBytes, string? userAgent = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = timeout,
            MaxResponseContentBufferSize = maxResponseBytes,
        };
        if (userAgent is not null) client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }
}
