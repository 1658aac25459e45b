using AuthServer.Core.Signing;

namespace AuthServer.Tests.Signing;

/// <summary>When the next key is made and when it signs (<see cref="KeyRotation.Schedule"/>).</summary>
public class RotationScheduleTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TokenOptions Tokens = new() { Services = [new ServiceOptions { Name = "registry", TokenLifetimeSeconds = 900 }] };

    [Fact]
    public void The_next_key_is_made_a_lead_time_before_the_interval_ends()
    {
        var options = new SigningOptions { Mode = SigningMode.Ca };
        var schedule = KeyRotation.Schedule(Key(activatedAt: Now, notAfter: Now.AddDays(30)), null, null, options, Tokens)!;

        Assert.Equal(Now.AddDays(7), schedule.Due);
        Assert.Equal(Now.AddDays(6), schedule.CreateAt);
    }

    [Fact]
    public void Rotation_is_off_by_default_in_self_signed_mode_and_on_in_ca_mode()
    {
        Assert.Null(KeyRotation.Schedule(Key(Now, Now.AddYears(10)), null, null, new SigningOptions(), Tokens));
        Assert.NotNull(KeyRotation.Schedule(Key(Now, Now.AddYears(10)), null, null, new SigningOptions { Mode = SigningMode.Ca }, Tokens));
        Assert.Null(KeyRotation.Schedule(Key(Now, Now.AddYears(10)), null, null, new SigningOptions { Mode = SigningMode.Ca, RotationInterval = TimeSpan.Zero }, Tokens));
    }

    [Fact]
    public void A_self_signed_key_made_late_is_published_for_the_lead_time_before_it_signs()
    {
        var options = new SigningOptions { RotationInterval = TimeSpan.FromDays(7), RotationLeadTime = TimeSpan.FromDays(2) };
        var late = Key(Now, Now.AddYears(10));
        late.CreatedAt = Now.AddDays(9);

        var schedule = KeyRotation.Schedule(Key(Now, Now.AddYears(10)), late, null, options, Tokens)!;

        Assert.Equal(Now.AddDays(11), schedule.Due);
    }

    [Fact]
    public void After_a_switch_to_ca_mode_no_ca_issued_key_signs_before_the_ca_was_exported_for_the_lead_time()
    {
        var options = new SigningOptions { Mode = SigningMode.Ca };
        var selfSigned = Key(Now.AddDays(-300), Now.AddYears(9));
        var issued = Key(Now, Now.AddDays(30));
        issued.CaId = 1;

        var schedule = KeyRotation.Schedule(selfSigned, issued, Now, options, Tokens)!;

        Assert.Equal(Now.AddDays(1), schedule.Due);
    }

    [Fact]
    public void A_key_hands_over_while_its_certificate_still_covers_every_token_it_signed()
    {
        var options = new SigningOptions { Mode = SigningMode.Ca };
        var schedule = KeyRotation.Schedule(Key(Now, notAfter: Now.AddDays(3)), null, null, options, Tokens)!;

        Assert.Equal(Now.AddDays(3) - TimeSpan.FromHours(1) - TimeSpan.FromHours(1), schedule.Due);
    }

    private static SigningKey Key(DateTime activatedAt, DateTime notAfter) => new()
    {
        Kid = "K",
        Algorithm = SigningAlgorithms.ES256,
        State = SigningKeyState.Active,
        ProtectedPrivateKey = [],
        Certificate = [],
        CreatedAt = activatedAt,
        ActivatedAt = activatedAt,
        NotAfter = notAfter,
    };
}
