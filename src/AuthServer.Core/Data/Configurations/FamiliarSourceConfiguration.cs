using AuthServer.Core.SignIn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class FamiliarSourceConfiguration : IEntityTypeConfiguration<FamiliarSource>
{
    public void Configure(EntityTypeBuilder<FamiliarSource> b)
    {
        b.ToTable("familiar_sources");
        b.Property(f => f.SourceKey).HasMaxLength(64);
        b.HasIndex(f => new { f.UserId, f.SourceKey }).IsUnique();
        // Pruning walks by age.
        b.HasIndex(f => f.LastSignInAt);
        b.HasOne(f => f.User).WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
