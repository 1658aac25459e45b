namespace AuthServer.WebConsole;

/// <summary>A secret shown once, right after it was made, with the login command that uses it.</summary>
public sealed record NewSecret(string Title, string Secret, string Login, string Registry)
{
    public string LoginCommand => $"docker login -u {Login} {Registry}";
}
