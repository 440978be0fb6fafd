#pragma once
// The colour guided filter (He, Sun and Tang, "Guided Image Filtering", 2013): smooths `source` where the guide
// is flat and follows the guide's edges, so a matte hugs hair and collars. Written here, not taken from
// OpenCV's ximgproc, whose library pulls in some 120 others (GDAL, DICOM, HEIF...): 0.13 s of every start.
#include <opencv2/core.hpp>

namespace certphoto {

// guide: CV_32FC3 in [0,1]; source: CV_32F of the same size; radius: the window's half side; epsilon: the
// regularisation (larger smooths across weaker edges). Returns CV_32F.
cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& source, int radius, double epsilon);

}  // namespace certphoto
