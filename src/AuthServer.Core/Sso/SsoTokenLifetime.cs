using System.Globalization;

namespace AuthServer.Core.Sso;

/// <summary>
/// An SSO user's access tokens (CLI secrets) run out within their provider's
/// <see cref="OidcProviderOptions.MaxAccessTokenLifetime"/>: between sign-ins the server cannot ask
/// the provider whether the person is still there, so no secret of theirs may outlive that bound.
/// </summary>
public static class SsoTokenLifetime
{
    /// <summary>The longest a token of this source's users may live; null for sources without a bound (local, directory).</summary>
    public static TimeSpan? MaxFor(OidcOptions options, string source) =>
        !OidcSources.IsOidc(source) ? null
        : options.Providers.FirstOrDefault(p => p.Source == source)?.MaxAccessTokenLifetime ?? new OidcProviderOptions().MaxAccessTokenLifetime;

    /// <summary>Why this expiry is too late for the user's source; null when it is fine.</summary>
    public static string? Refusal(OidcOptions options, string source, DateTime? expiresAt, DateTime now)
    {
        if (MaxFor(options, source) is not { } max || expiresAt is { } at && at <= now + max) return null;
        var days = max.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        return $"access tokens of users signing in through {source} expire within {days} days; give an expiry";
    }
}
