namespace AuthServer.Sso;

/// <summary>Where single sign-on lives: <c>/login</c>, one address per provider, and its callback.</summary>
public static class SsoRoutes
{
    public const string Login = "/login";

    /// <summary>Where a sign-in that started at /login ends: the page that makes CLI secrets.</summary>
    public const string CliSecrets = "/ui/me/tokens";

    public const string Continue = "/login/continue";

    public static string Start(string provider) => $"{Login}/{provider}";

    public static string Callback(string provider) => $"{Login}/{provider}/callback";
}
