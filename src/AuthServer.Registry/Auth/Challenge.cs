using System.Text;

namespace AuthServer.Registry.Auth;

/// <summary>
/// The <c>WWW-Authenticate</c> value distribution sends with every 401 (accesscontroller.go
/// <c>challengeParams</c>): <c>Bearer realm=%q,service=%q[,scope=%q][,error=%q]</c>, comma-separated
/// without spaces, values quoted as Go's <c>%q</c> quotes them.
/// </summary>
public static class Challenge
{
    public static string HeaderValue(string realm, string service, IReadOnlyList<AccessItem> required, AuthFailure failure)
    {
        var value = new StringBuilder("Bearer realm=").Append(GoQuote(realm)).Append(",service=").Append(GoQuote(service));
        var scope = AccessSet.Of(required).ScopeParam();
        if (scope.Length > 0) value.Append(",scope=").Append(GoQuote(scope));
        if (failure.ErrorParam() is { } error) value.Append(",error=").Append(GoQuote(error));
        return value.ToString();
    }

    /// <summary>strconv.Quote: backslash escapes for quote, backslash and control characters.</summary>
    public static string GoQuote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\x7f': sb.Append("\\x").Append(((int)c).ToString("x2")); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
