using AuthServer.Core.Identity;

namespace AuthServer.WebConsole;

public static class SessionFilters
{
    /// <summary>A session matches a filter found in its account, client, address, service or access token.</summary>
    public static bool Matches(SessionView s, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return true;
        var needle = filter.Trim();
        return new[] { s.Account, s.UserAgent, s.ClientId, s.ClientIp, s.Service, s.AccessToken }
            .Any(field => field?.Contains(needle, StringComparison.OrdinalIgnoreCase) == true);
    }
}
