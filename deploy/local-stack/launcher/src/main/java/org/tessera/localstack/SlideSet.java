package org.tessera.localstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.objectstore.ObjectStore;

/**
 * Synthetic slides handed to the platform the way a client hands real ones: generated locally, uploaded to the
 * organization's bucket through signed PUT URLs, then referenced in a run request by signed GET URLs with the
 * metadata the application's schema asks for.
 */
public final class SlideSet {

    public static final String INPUT_ARTIFACT = "whole_slide_image";
    public static final String MEDIA_TYPE = "image/tiff";
    /** The metadata sent with each slide: what the free test application's schema describes. */
    public static final List<String> METADATA_FIELDS =
            List.of("checksum_base64_crc32c", "width_px", "height_px", "resolution_mpp", "media_type");
    /** Signed input URLs are valid for days on the real platform; a local run needs hours at most. */
    private static final Duration INPUT_URL_TTL = Duration.ofHours(6);

    /**
     * One slide of the set.
     *
     * @param externalId the item's {@code external_id}
     * @param slide the generated file and what it claims to be
     * @param corrupt whether the file was damaged on purpose (the platform must fail this item with a user error)
     * @param downloadUrl the signed GET URL the run request carries, once uploaded
     */
    public record Slide(String externalId, SyntheticSlide slide, boolean corrupt, URI downloadUrl) {}

    private final List<Slide> slides;

    private SlideSet(List<Slide> slides) {
        this.slides = List.copyOf(slides);
    }

    /** What to generate: a slide's external id, its size and pixel spacing, or that it is to be corrupt. */
    public record Spec(String externalId, int width, int height, double mpp, boolean corrupt) {

        public static Spec good(String externalId, int width, int height, double mpp) {
            return new Spec(externalId, width, height, mpp, false);
        }

        public static Spec corrupt(String externalId) {
            return new Spec(externalId, 0, 0, 0, true);
        }
    }

    /** The demo's set: two good slides of different sizes and one corrupt file. */
    public static List<Spec> demoSpecs() {
        return List.of(
                Spec.good("slide-1", 6144, 4096, 0.5),
                Spec.good("slide-2", 4096, 3072, 0.25),
                Spec.corrupt("slide-3-corrupt"));
    }

    /** Generates the files into {@code dir} (seeded, so the same specs give the same bytes). */
    public static SlideSet generate(Path dir, List<Spec> specs, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Slide> slides = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            Path file = dir.resolve(spec.externalId() + ".tiff");
            SyntheticSlide slide = spec.corrupt()
                    ? SyntheticSlideGenerator.writeCorrupt(file, seed + i)
                    : SyntheticSlideGenerator.generate(file, spec.width(), spec.height(), spec.mpp(), seed + i);
            slides.add(new Slide(spec.externalId(), slide, spec.corrupt(), null));
        }
        return new SlideSet(slides);
    }

    /** Signs object-store URLs the way a client does with its organization's bucket keys. */
    public interface UrlSigning {

        URI sign(String method, String key, Duration ttl);

        static UrlSigning of(ObjectStore store) {
            return (method, key, ttl) -> method.equals("PUT") ? store.presignPut(key, ttl) : store.presignGet(key, ttl);
        }

        static UrlSigning of(AccessClient access) {
            return access::sign;
        }
    }

    /**
     * Uploads every slide with a plain HTTP PUT to a URL signed for it under {@code keyPrefix}, and keeps a signed GET
     * URL for the run request.
     */
    public SlideSet upload(DemoClient client, UrlSigning signing, String keyPrefix) {
        List<Slide> uploaded = new ArrayList<>();
        for (Slide slide : slides) {
            String key = keyPrefix + "/" + slide.slide().path().getFileName();
            client.upload(
                    signing.sign("PUT", key, Duration.ofMinutes(15)),
                    slide.slide().path(),
                    MEDIA_TYPE);
            uploaded.add(new Slide(
                    slide.externalId(), slide.slide(), slide.corrupt(), signing.sign("GET", key, INPUT_URL_TTL)));
        }
        return new SlideSet(uploaded);
    }

    public List<Slide> slides() {
        return slides;
    }

    /** The body of {@code POST /v1/runs} for these slides. */
    public ObjectNode runRequest(String applicationId, String version) {
        ObjectNode request = DemoClient.object();
        request.put("application_id", applicationId);
        if (version != null) {
            request.put("version_number", version);
        }
        request.putObject("custom_metadata").putObject("sdk").put("note", "submitted by ./local-stack demo");
        ArrayNode items = request.putArray("items");
        for (Slide slide : slides) {
            if (slide.downloadUrl() == null) {
                throw new IllegalStateException(slide.externalId() + " has not been uploaded");
            }
            ObjectNode item = items.addObject();
            item.put("external_id", slide.externalId());
            ObjectNode artifact = item.putArray("input_artifacts").addObject();
            artifact.put("name", INPUT_ARTIFACT);
            artifact.put("download_url", slide.downloadUrl().toString());
            ObjectNode metadata = artifact.putObject("metadata");
            metadata.put("checksum_base64_crc32c", slide.slide().checksumBase64Crc32c());
            metadata.put("width_px", slide.slide().width());
            metadata.put("height_px", slide.slide().height());
            metadata.put("resolution_mpp", slide.slide().mpp());
            metadata.put("media_type", MEDIA_TYPE);
        }
        return request;
    }
}
