package org.tessera.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** UIDs this codec writes and recognises. */
public final class DicomUids {

    public static final String VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.77.1.6";
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
    public static final String HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201";
    public static final String HTJ2K_LOSSLESS_RPCL = "1.2.840.10008.1.2.4.202";
    public static final String HTJ2K = "1.2.840.10008.1.2.4.203";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** This implementation's class UID: fixed, derived from the codec's name. */
    public static final String IMPLEMENTATION_CLASS_UID =
            fromUuid(UUID.nameUUIDFromBytes("org.tessera.dicom".getBytes(StandardCharsets.US_ASCII)));

    public static final String IMPLEMENTATION_VERSION_NAME = "TESSERA_010";

    private DicomUids() {}

    /** A UID under the {@code 2.25} root (PS3.5 B.2): the UUID's 128 bits as one decimal number. */
    public static String fromUuid(UUID uuid) {
        byte[] bytes = new byte[16];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return "2.25." + new BigInteger(1, bytes);
    }

    /** A fresh random UID. */
    public static String random() {
        return fromUuid(UUID.randomUUID());
    }

    /** A human name for a transfer syntax UID, for error messages. */
    static String transferSyntaxName(String uid) {
        return switch (uid) {
            case IMPLICIT_VR_LITTLE_ENDIAN -> "Implicit VR Little Endian";
            case EXPLICIT_VR_LITTLE_ENDIAN -> "Explicit VR Little Endian";
            case DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN -> "Deflated Explicit VR Little Endian";
            case EXPLICIT_VR_BIG_ENDIAN -> "Explicit VR Big Endian";
            case JPEG_BASELINE -> "JPEG Baseline";
            case JPEG_EXTENDED -> "JPEG Extended";
            case JPEG_LOSSLESS, JPEG_LOSSLESS_SV1 -> "JPEG Lossless";
            case JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS -> "JPEG-LS";
            case JPEG_2000_LOSSLESS -> "JPEG 2000 (lossless only)";
            case JPEG_2000 -> "JPEG 2000";
            case HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K -> "High-Throughput JPEG 2000";
            case RLE_LOSSLESS -> "RLE Lossless";
            default -> "unknown transfer syntax";
        };
    }
}
