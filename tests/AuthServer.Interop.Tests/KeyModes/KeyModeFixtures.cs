using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.KeyModes;

/// <summary>
/// A server in one key mode, and a registry whose bundle was exported after `keys add`: it holds
/// the active key's certificate and the next key's, as the rotation procedure prescribes.
/// </summary>
public abstract class KeyModeFixture : RegistryFixture
{
    public abstract bool IncludeX5c { get; }
    public virtual string Algorithm => "ES256";
    public string FirstKid { get; private set; } = "";
    public string NextKid { get; private set; } = "";

    protected override void ConfigureServer(Dictionary<string, string?> settings)
    {
        settings["AuthServer:Signing:IncludeX5c"] = IncludeX5c ? "true" : "false";
        settings["AuthServer:Signing:Algorithm"] = Algorithm;
    }

    protected override async Task BeforeExportAsync()
    {
        FirstKid = (await Server.ListKeysAsync()).Single(k => k.State == "active").Kid;
        (await Server.CliAsync("keys", "add")).EnsureSuccess();
        NextKid = (await Server.ListKeysAsync()).Single(k => k.State == "next").Kid;
    }
}

/// <summary>The default: kid and the x5c certificate in every token header.</summary>
public sealed class X5cKeyModeFixture : KeyModeFixture
{
    public override bool IncludeX5c => true;
}

/// <summary>AuthServer:Signing:IncludeX5c=false: registry 2.8 finds the key by its libtrust kid in the bundle.</summary>
public sealed class KidOnlyKeyModeFixture : KeyModeFixture
{
    public override bool IncludeX5c => false;
}

/// <summary>kid only with RSA keys (RS256).</summary>
public sealed class KidOnlyRsaKeyModeFixture : KeyModeFixture
{
    public override bool IncludeX5c => false;
    public override string Algorithm => "RS256";
}
