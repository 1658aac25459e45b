using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AuthServer.Core.Federation;

/// <summary>
/// Each trusted issuer's discovery document and signing keys, fetched on first use, kept for
/// <see cref="FederationOptions.MetadataLifetime"/>, and fetched again early (at most once per
/// <see cref="FederationOptions.MetadataRefreshInterval"/>) when a token names a key we do not have.
/// Fetches follow no redirect, stop at a size and a time limit, and go over HTTPS only (an http
/// loopback issuer only when the tests or the demo allow it).
/// </summary>
public sealed class IssuerKeys : IDisposable
{
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _issuers = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly FederationOptions _options;

    public IssuerKeys(IOptions<FederationOptions> options)
    {
        _options = options.Value;
        _http = BoundedHttpClient.Create(_options.FetchTimeout, _options.MaxDocumentBytes);
    }

    /// <summary>Whether the issuer may be fetched at all: https, or http on loopback when allowed.</summary>
    public static string? Refusal(string issuer, bool allowHttpLoopback)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            return "is not an absolute URL without query or fragment";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme == Uri.UriSchemeHttp && allowHttpLoopback && uri.IsLoopback) return null;
        return allowHttpLoopback ? "must use https (http only on a loopback address)" : "must use https";
    }

    /// <summary>The issuer's current keys; throws <see cref="IssuerUnavailableException"/> when they cannot be fetched.</summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(string issuer, CancellationToken ct)
    {
        try
        {
            return await ManagerFor(issuer).GetConfigurationAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new IssuerUnavailableException(issuer, e);
        }
    }

    /// <summary>Asks for a fresh copy at the next <see cref="GetAsync"/>, unless one was fetched within the refresh interval.</summary>
    public void RequestRefresh(string issuer) => ManagerFor(issuer).RequestRefresh();

    private ConfigurationManager<OpenIdConnectConfiguration> ManagerFor(string issuer) =>
        _issuers.GetOrAdd(issuer, i =>
        {
            var retriever = new HttpDocumentRetriever(_http) { RequireHttps = Refusal(i, allowHttpLoopback: false) is null };
            var discovery = i.TrimEnd('/') + "/.well-known/openid-configuration";
            return new ConfigurationManager<OpenIdConnectConfiguration>(discovery, new OpenIdConnectConfigurationRetriever(), retriever)
            {
                AutomaticRefreshInterval = Max(_options.MetadataLifetime, ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval),
                RefreshInterval = Max(_options.MetadataRefreshInterval, ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval),
            };
        });

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose() => _http.Dispose();
}

/// <summary>An issuer's keys could not be fetched: the sign-in is undecided (503), not refused.</summary>
public sealed class IssuerUnavailableException(string issuer, Exception inner)
    : Exception($"the keys of issuer {issuer} could not be fetched", inner);
