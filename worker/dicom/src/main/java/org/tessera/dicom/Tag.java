package org.tessera.dicom;

/** The attribute tags this codec reads or writes, as {@code (group << 16) | element}. */
final class Tag {

    static final int FILE_META_INFORMATION_GROUP_LENGTH = 0x00020000;
    static final int FILE_META_INFORMATION_VERSION = 0x00020001;
    static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    static final int IMPLEMENTATION_CLASS_UID = 0x00020012;
    static final int IMPLEMENTATION_VERSION_NAME = 0x00020013;

    static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    static final int IMAGE_TYPE = 0x00080008;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int STUDY_DATE = 0x00080020;
    static final int CONTENT_DATE = 0x00080023;
    static final int ACQUISITION_DATE_TIME = 0x0008002A;
    static final int STUDY_TIME = 0x00080030;
    static final int CONTENT_TIME = 0x00080033;
    static final int ACCESSION_NUMBER = 0x00080050;
    static final int MODALITY = 0x00080060;
    static final int MANUFACTURER = 0x00080070;
    static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    static final int CODE_VALUE = 0x00080100;
    static final int CODING_SCHEME_DESIGNATOR = 0x00080102;
    static final int CODE_MEANING = 0x00080104;
    static final int MANUFACTURER_MODEL_NAME = 0x00081090;
    static final int FRAME_TYPE = 0x00089007;
    static final int VOLUMETRIC_PROPERTIES = 0x00089206;

    static final int PATIENT_NAME = 0x00100010;
    static final int PATIENT_ID = 0x00100020;
    static final int PATIENT_BIRTH_DATE = 0x00100030;
    static final int PATIENT_SEX = 0x00100040;

    static final int SLICE_THICKNESS = 0x00180050;
    static final int DEVICE_SERIAL_NUMBER = 0x00181000;
    static final int SOFTWARE_VERSIONS = 0x00181020;

    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int STUDY_ID = 0x00200010;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int FRAME_OF_REFERENCE_UID = 0x00200052;
    static final int POSITION_REFERENCE_INDICATOR = 0x00201040;
    static final int DIMENSION_ORGANIZATION_UID = 0x00209164;
    static final int DIMENSION_INDEX_POINTER = 0x00209165;
    static final int FUNCTIONAL_GROUP_POINTER = 0x00209167;
    static final int DIMENSION_ORGANIZATION_SEQUENCE = 0x00209221;
    static final int DIMENSION_INDEX_SEQUENCE = 0x00209222;
    static final int DIMENSION_ORGANIZATION_TYPE = 0x00209311;

    static final int ILLUMINATION_TYPE_CODE_SEQUENCE = 0x00220016;

    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int BURNED_IN_ANNOTATION = 0x00280301;
    static final int ICC_PROFILE = 0x00282000;
    static final int LOSSY_IMAGE_COMPRESSION = 0x00282110;
    static final int LOSSY_IMAGE_COMPRESSION_RATIO = 0x00282112;
    static final int LOSSY_IMAGE_COMPRESSION_METHOD = 0x00282114;
    static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;

    static final int CONTAINER_IDENTIFIER = 0x00400512;
    static final int ISSUER_OF_THE_CONTAINER_IDENTIFIER_SEQUENCE = 0x00400513;
    static final int CONTAINER_TYPE_CODE_SEQUENCE = 0x00400518;
    static final int SPECIMEN_IDENTIFIER = 0x00400551;
    static final int SPECIMEN_UID = 0x00400554;
    static final int ACQUISITION_CONTEXT_SEQUENCE = 0x00400555;
    static final int SPECIMEN_DESCRIPTION_SEQUENCE = 0x00400560;
    static final int ISSUER_OF_THE_SPECIMEN_IDENTIFIER_SEQUENCE = 0x00400562;
    static final int SPECIMEN_PREPARATION_SEQUENCE = 0x00400610;
    static final int X_OFFSET_IN_SLIDE_COORDINATE_SYSTEM = 0x0040072A;
    static final int Y_OFFSET_IN_SLIDE_COORDINATE_SYSTEM = 0x0040073A;
    static final int Z_OFFSET_IN_SLIDE_COORDINATE_SYSTEM = 0x0040074A;
    static final int WHOLE_SLIDE_MICROSCOPY_IMAGE_FRAME_TYPE_SEQUENCE = 0x0040710A;

    static final int IMAGED_VOLUME_WIDTH = 0x00480001;
    static final int IMAGED_VOLUME_HEIGHT = 0x00480002;
    static final int IMAGED_VOLUME_DEPTH = 0x00480003;
    static final int TOTAL_PIXEL_MATRIX_COLUMNS = 0x00480006;
    static final int TOTAL_PIXEL_MATRIX_ROWS = 0x00480007;
    static final int TOTAL_PIXEL_MATRIX_ORIGIN_SEQUENCE = 0x00480008;
    static final int SPECIMEN_LABEL_IN_IMAGE = 0x00480010;
    static final int FOCUS_METHOD = 0x00480011;
    static final int EXTENDED_DEPTH_OF_FIELD = 0x00480012;
    static final int IMAGE_ORIENTATION_SLIDE = 0x00480102;
    static final int OPTICAL_PATH_SEQUENCE = 0x00480105;
    static final int OPTICAL_PATH_IDENTIFIER = 0x00480106;
    static final int ILLUMINATION_COLOR_CODE_SEQUENCE = 0x00480108;
    static final int OPTICAL_PATH_IDENTIFICATION_SEQUENCE = 0x00480207;
    static final int PLANE_POSITION_SLIDE_SEQUENCE = 0x0048021A;
    static final int COLUMN_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX = 0x0048021E;
    static final int ROW_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX = 0x0048021F;
    static final int NUMBER_OF_OPTICAL_PATHS = 0x00480302;
    static final int TOTAL_PIXEL_MATRIX_FOCAL_PLANES = 0x00480303;

    static final int SHARED_FUNCTIONAL_GROUPS_SEQUENCE = 0x52009229;
    static final int PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE = 0x52009230;

    static final int EXTENDED_OFFSET_TABLE = 0x7FE00001;
    static final int EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002;
    static final int PIXEL_DATA = 0x7FE00010;

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION_ITEM = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION_ITEM = 0xFFFEE0DD;

    private Tag() {}

    static String format(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /**
     * The VR of the tags this codec interprets, for Implicit VR Little Endian data sets where the file does not say.
     * Unknown tags read as raw bytes, which is all the reader needs of them.
     */
    static String implicitVr(int tag) {
        if ((tag & 0xFFFF) == 0x0000) {
            return "UL";
        }
        return switch (tag) {
            case SAMPLES_PER_PIXEL,
                    PLANAR_CONFIGURATION,
                    ROWS,
                    COLUMNS,
                    BITS_ALLOCATED,
                    BITS_STORED,
                    HIGH_BIT,
                    PIXEL_REPRESENTATION -> "US";
            case TOTAL_PIXEL_MATRIX_COLUMNS,
                    TOTAL_PIXEL_MATRIX_ROWS,
                    NUMBER_OF_OPTICAL_PATHS,
                    TOTAL_PIXEL_MATRIX_FOCAL_PLANES -> "UL";
            case COLUMN_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX, ROW_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX -> "SL";
            case IMAGED_VOLUME_WIDTH, IMAGED_VOLUME_HEIGHT, IMAGED_VOLUME_DEPTH -> "FL";
            case NUMBER_OF_FRAMES, INSTANCE_NUMBER, SERIES_NUMBER -> "IS";
            case PIXEL_SPACING,
                    SLICE_THICKNESS,
                    X_OFFSET_IN_SLIDE_COORDINATE_SYSTEM,
                    Y_OFFSET_IN_SLIDE_COORDINATE_SYSTEM,
                    Z_OFFSET_IN_SLIDE_COORDINATE_SYSTEM -> "DS";
            case EXTENDED_OFFSET_TABLE, EXTENDED_OFFSET_TABLE_LENGTHS -> "OV";
            case PIXEL_DATA -> "OW";
            case SHARED_FUNCTIONAL_GROUPS_SEQUENCE,
                    PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE,
                    PIXEL_MEASURES_SEQUENCE,
                    PLANE_POSITION_SLIDE_SEQUENCE,
                    TOTAL_PIXEL_MATRIX_ORIGIN_SEQUENCE,
                    DIMENSION_ORGANIZATION_SEQUENCE,
                    DIMENSION_INDEX_SEQUENCE,
                    OPTICAL_PATH_SEQUENCE,
                    OPTICAL_PATH_IDENTIFICATION_SEQUENCE,
                    ILLUMINATION_TYPE_CODE_SEQUENCE,
                    ILLUMINATION_COLOR_CODE_SEQUENCE,
                    SPECIMEN_DESCRIPTION_SEQUENCE,
                    SPECIMEN_PREPARATION_SEQUENCE,
                    ISSUER_OF_THE_CONTAINER_IDENTIFIER_SEQUENCE,
                    ISSUER_OF_THE_SPECIMEN_IDENTIFIER_SEQUENCE,
                    CONTAINER_TYPE_CODE_SEQUENCE,
                    ACQUISITION_CONTEXT_SEQUENCE,
                    WHOLE_SLIDE_MICROSCOPY_IMAGE_FRAME_TYPE_SEQUENCE -> "SQ";
            default -> "UN";
        };
    }
}
