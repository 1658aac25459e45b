using AuthServer.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AuthServer.Core.Import.DockerAuth;

/// <summary>The parts of docker_auth's YAML configuration an import reads (its reference.yml names them).</summary>
public sealed class DockerAuthConfig
{
    public DockerAuthToken? Token { get; set; }

    /// <summary>Static users: name → bcrypt password and labels; the user "" allows anonymous access.</summary>
    public Dictionary<string, DockerAuthUser?>? Users { get; set; }

    public List<DockerAuthAclEntry>? Acl { get; set; }

    public static DockerAuthConfig Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        try
        {
            return deserializer.Deserialize<DockerAuthConfig?>(yaml) ?? new DockerAuthConfig();
        }
        catch (YamlException e)
        {
            var where = e.Start.Line > 0 ? $" (line {e.Start.Line}, column {e.Start.Column})" : "";
            throw new ValidationFailedException("file", $"not a docker_auth configuration{where}: {(e.InnerException ?? e).Message}");
        }
    }
}

public sealed class DockerAuthToken
{
    public string? Issuer { get; set; }
    public long? Expiration { get; set; }
    public string? Certificate { get; set; }
    public string? Key { get; set; }
}

public sealed class DockerAuthUser
{
    public string? Password { get; set; }
    public Dictionary<string, List<string>>? Labels { get; set; }
}

public sealed class DockerAuthAclEntry
{
    public DockerAuthMatch? Match { get; set; }
    public List<string>? Actions { get; set; }
    public string? Comment { get; set; }
}

public sealed class DockerAuthMatch
{
    public string? Account { get; set; }
    public string? Type { get; set; }
    public string? Name { get; set; }
    public string? Ip { get; set; }
    public string? Service { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}
